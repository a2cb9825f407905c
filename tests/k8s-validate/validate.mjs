// Validates Kubernetes Job manifests (JSON files given as arguments) with kubernetes-models, which is generated from
// the official Kubernetes OpenAPI schema: prints "valid <file>" or the schema violation, and exits 1 on any violation.
import { readFileSync } from 'node:fs';
import { Job } from 'kubernetes-models/batch/v1/Job';

let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    new Job(JSON.parse(readFileSync(file, 'utf8'))).validate();
    console.log(`valid ${file}`);
  } catch (error) {
    failed = true;
    console.log(`invalid ${file}: ${error.message}`);
  }
}
process.exit(failed ? 1 : 0);
