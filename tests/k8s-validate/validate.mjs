// Validates generated resources (JSON files given as arguments) against schemas built independently of Sharpflow:
// Kubernetes Jobs with kubernetes-models (the official Kubernetes OpenAPI schema), Argo WorkflowTemplates and
// CronWorkflows with @kubernetes-models/argo-workflows (Argo's CRD schema). Prints "valid <file>" or the violation,
// and exits 1 on any violation.
import { readFileSync } from 'node:fs';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { WorkflowTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/WorkflowTemplate';
import { CronWorkflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/CronWorkflow';

const models = { Job, WorkflowTemplate, CronWorkflow };
let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    const resource = JSON.parse(readFileSync(file, 'utf8'));
    const Model = models[resource.kind];
    if (!Model) throw new Error(`no schema for kind ${resource.kind}`);
    new Model(resource).validate();
    console.log(`valid ${file}`);
  } catch (error) {
    failed = true;
    console.log(`invalid ${file}: ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);
