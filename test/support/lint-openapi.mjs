// Lints an OpenAPI document (JSON on stdin) with Redocly's recommended rules, every warning an
// error; prints the problems as JSON. A child process because @redocly/openapi-core is an ES
// module, which jest's CommonJS module loader cannot import.
import { createConfig, lintFromString } from '@redocly/openapi-core';

let source = '';
for await (const chunk of process.stdin) source += chunk;
const config = await createConfig({ extends: ['recommended-strict'] });
const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
process.stdout.write(JSON.stringify(problems.map((problem) => ({ rule: problem.ruleId, message: problem.message, at: problem.location.map((location) => location.pointer) }))));
