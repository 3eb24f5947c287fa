/**
 * The project's dependency rules, checked in `npm test` (npm run check:deps).
 * Dependencies point one way: cli → runtime → (core, plugins); server, evals, benchmarks → core (and
 * runtime, and client); core imports only itself and libraries; client imports only libraries. Outside core, code reaches core only through its
 * public entry points (the package's exports: realtime-agent, realtime-agent/testing, …).
 */
module.exports = {
  forbidden: [
    {
      name: "core-is-self-contained",
      comment: "core imports nothing from the folders around it.",
      severity: "error",
      from: { path: "^core/" },
      to: { path: "^(runtime|plugins|server|evals|benchmarks|cli|client|deploy)/" },
    },
    {
      name: "core-only-through-its-front-door",
      comment:
        "Outside core, import core through its public entry points: core/index.ts (realtime-agent), " +
        "core/testing/index.ts (realtime-agent/testing), core/testing/contracts/index.ts (realtime-agent/testing/contracts) " +
        "and core/testing/contracts/plugin.ts (realtime-agent/testing/plugin-contract, kept for plugins scaffolded before).",
      severity: "error",
      from: { pathNot: "^core/" },
      to: {
        path: "^core/",
        pathNot: "^core/(index\\.ts|testing/index\\.ts|testing/contracts/index\\.ts|testing/contracts/plugin\\.ts)$",
      },
    },
    {
      name: "browser-code-imports-only-the-client",
      comment:
        "client/ (realtime-agent/client) and the chat page script run in browsers: they import no other " +
        "folder of the project (the chat page imports the client through realtime-agent/client).",
      severity: "error",
      from: { path: "^(client/|server/chat-page/chat-page\\.ts$)", pathNot: "\\.test\\.ts$" },
      to: { path: "^(core|runtime|plugins|server|evals|benchmarks|cli)/" },
    },
    {
      name: "browser-code-uses-no-node-built-ins",
      comment: "client/ and the chat page script run in browsers: no node: modules (their tests may use them).",
      severity: "error",
      from: { path: "^(client/|server/chat-page/chat-page\\.ts$)", pathNot: "\\.test\\.ts$" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "client-only-through-its-front-door",
      comment: "Outside client/, import it as realtime-agent/client (client/index.ts).",
      severity: "error",
      from: { pathNot: "^client/" },
      to: { path: "^client/", pathNot: "^client/index\\.ts$" },
    },
    {
      name: "nothing-imports-cli",
      comment: "cli is the outermost layer: no other folder imports it.",
      severity: "error",
      from: { pathNot: "^cli/" },
      to: { path: "^cli/" },
    },
    {
      name: "plugins-stay-plugins",
      comment: "plugins depend on core only, never on the runtime, server, evals or benchmarks.",
      severity: "error",
      from: { path: "^plugins/" },
      to: { path: "^(runtime|server|evals|benchmarks|cli)/" },
    },
    {
      name: "product-code-never-imports-test-support",
      comment:
        "Test doubles, test helpers and contract suites (core/testing/, including core/testing/contracts/) are " +
        "for tests: product code does not import them. The fault-injection scripts (benchmarks/faults/) are " +
        "tests run by hand, with reports: they may.",
      severity: "error",
      from: { pathNot: "(\\.test\\.ts$|/test-support/|^core/testing/|^benchmarks/faults/)" },
      to: { path: "(/test-support/|^core/testing/|\\.test\\.ts$)" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^node_modules|^models/|^evals/results/|^benchmarks/reports/|^server/static/)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
