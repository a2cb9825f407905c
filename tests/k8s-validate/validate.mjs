// Validates generated resources (JSON files given as arguments) against schemas built independently of Sharpflow:
// Kubernetes Jobs with kubernetes-models (the official Kubernetes OpenAPI schema), Argo WorkflowTemplates and
// CronWorkflows with @kubernetes-models/argo-workflows (Argo's CRD schema), Argo Events Sensors with ajv against Argo
// Events' published OpenAPI definitions (argo-events/; no npm model package exists for them), where an object that
// declares its properties takes no others, so a misspelled field is caught. Prints "valid <file>" or the violation,
// and exits 1 on any violation.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { WorkflowTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/WorkflowTemplate';
import { CronWorkflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/CronWorkflow';

// Argo Events' swagger definitions as JSON Schema: refs kept, `additionalProperties: false` where properties are declared.
const { definitions } = JSON.parse(readFileSync(new URL('./argo-events/sensor-definitions.json', import.meta.url), 'utf8'));
for (const definition of Object.values(definitions)) {
  if (definition.type === 'object' && definition.properties && definition.additionalProperties === undefined) {
    definition.additionalProperties = false;
  }
}
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validateSensor = ajv.compile({ definitions, $ref: '#/definitions/io.argoproj.events.v1alpha1.Sensor' });
class Sensor {
  constructor(resource) { this.resource = resource; }
  validate() {
    if (this.resource.apiVersion !== 'argoproj.io/v1alpha1') throw new Error(`apiVersion ${this.resource.apiVersion} is not argoproj.io/v1alpha1`);
    if (!validateSensor(this.resource)) throw new Error(ajv.errorsText(validateSensor.errors, { separator: '; ' }));
  }
}

const models = { Job, WorkflowTemplate, CronWorkflow, Sensor };
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
