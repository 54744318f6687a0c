#!/usr/bin/env node
// Moat runs its TypeScript sources directly on Node 24 (type stripping); see docs/decisions/0001-runtime-node-24.md.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `moat needs Node.js 24 (this is ${process.version}). Run it through npm (\`npm start\`, \`npx moat\`), ` +
      'which puts the bundled Node 24 first on PATH, or call node_modules/.bin/node directly.\n',
  );
  process.exit(1);
}
const { buildCli } = await import('../src/cli/main.ts');
await buildCli().parseAsync(process.argv);
