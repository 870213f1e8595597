#!/usr/bin/env node
// The CLI runs from the build (dist/, made by `npm run build` and by `npm ci`), so that nothing is
// compiled when it starts. In a working copy whose sources are newer than the build, it runs
// the TypeScript sources instead, through tsx, so that an edit is never answered by stale code.
// An installed package (no .git beside it) always has its build, made when it was packed: the
// times its files were unpacked at say nothing of which is newer.
import { existsSync, readdirSync, statSync } from 'node:fs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = new URL('../', import.meta.url);
const built = new URL('dist/src/cli/main.js', root);

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

function buildIsCurrent() {
  try {
    const builtAt = statSync(built).mtimeMs;
    if (!existsSync(new URL('.git', root))) return true;
    return ['src/', 'reference/'].every((dir) => newest(new URL(dir, root)) <= builtAt);
  } catch {
    return false;
  }
}

// SWF_CONFORMANCE_SHOW_ENTRY=1: say which entry runs (the package's tests check it).
const fromBuild = buildIsCurrent();
if (process.env.SWF_CONFORMANCE_SHOW_ENTRY === '1')
  process.stderr.write(`swf-conformance entry: ${fromBuild ? 'dist' : 'sources through tsx'}\n`);
if (fromBuild) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('src/cli/main.ts', root).href);
}
