#!/usr/bin/env node
// The CLI, compiled (npm run build; npm ci and npm pack run it): no TypeScript loader at run time.
await import('../dist/cli/main.js');
