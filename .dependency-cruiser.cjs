/**
 * The one-way rule of ARCHITECTURE.md, checked on every `npm test`:
 *
 *   contract  ◄──  reference  ◄──  suite
 *
 * contract: spec/ and schemas/ as data, src/contract/ and src/generated/ as code.
 * reference: reference/, an independent implementation that knows the contract only.
 * suite: src/harness, src/clients, src/report (which know a target only through the Target
 * interface), suites/ (the battery, which knows no target at all), src/targets (the targets,
 * the embedded reference among them) and src/cli (which puts them together).
 */
const contract = '^src/(contract|generated)/';
module.exports = {
  forbidden: [
    {
      name: 'contract-stands-alone',
      comment: 'The contract is read by everything and reads nothing of the project but itself.',
      severity: 'error',
      from: { path: contract },
      to: { path: '^(reference|suites|lib|scripts|bench)/|^src/', pathNot: contract },
    },
    {
      name: 'reference-knows-contract-only',
      comment: 'The reference is an implementation of the contract; it must not lean on the suite that judges it.',
      severity: 'error',
      from: { path: '^reference/' },
      to: { path: '^(suites|lib|scripts|bench)/|^src/', pathNot: contract },
    },
    {
      name: 'harness-knows-no-target',
      comment:
        'The harness, clients and reports reach a target through src/harness/target.ts; only src/targets and the CLI know which one.',
      severity: 'error',
      from: { path: '^src/(harness|clients|report|recordings|model)/' },
      to: { path: '^(reference|suites)/|^src/(targets|cli)/' },
    },
    {
      name: 'nothing-runs-back-up',
      comment:
        'Below the harness, in order: src/recordings (recordings, their comparison and replays), src/clients, the contract. None of them reaches up to the harness, the model or the reports that use them.',
      severity: 'error',
      from: { path: '^src/(recordings|clients)/' },
      to: { path: '^src/(harness|model|report|targets|cli)/' },
    },
    {
      name: 'clients-below-recordings',
      comment: 'A client sends requests; what is done with their answers (recorded, compared) is above it.',
      severity: 'error',
      from: { path: '^src/clients/' },
      to: { path: '^src/recordings/' },
    },
    {
      name: 'reference-reached-by-three',
      comment:
        'The reference is reached as a target (src/targets), served (src/cli/serve.ts) and listed (src/cli/deviations.ts), nowhere else in the CLI.',
      severity: 'error',
      from: { path: '^src/cli/', pathNot: '^src/cli/(serve|deviations)\\.ts$' },
      to: { path: '^reference/' },
    },
    {
      name: 'targets-below-cli',
      comment: 'A target is put together by the CLI, not the other way round.',
      severity: 'error',
      from: { path: '^src/targets/' },
      to: { path: '^suites/|^src/(cli|report)/' },
    },
    {
      name: 'battery-knows-no-target',
      comment: 'Nothing in suites/ knows which target it runs against.',
      severity: 'error',
      from: { path: '^suites/' },
      to: { path: '^reference/|^src/(targets|cli|report)/' },
    },
    {
      name: 'battery-is-loaded-not-imported',
      comment: 'vitest loads suites/ by its include pattern; code that imports a suite file runs its tests.',
      severity: 'error',
      from: {},
      to: { path: '^suites/' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^node_modules/' },
    tsPreCompilationDeps: true,
    // The project's TypeScript (7) has no JavaScript API for dependency-cruiser to parse with; swc
    // reads the sources instead.
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.d.ts'] },
  },
};
