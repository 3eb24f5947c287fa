import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { z } from "zod";

// The manifests checked against Kubernetes' own schemas by kubernetes-validate (PyPI, hash-pinned,
// installed into .venv-tools by scripts/setup-manifest-validator.mjs, which `npm test` runs first).
const folder = import.meta.dirname;
const root = join(folder, "..", "..");
const validator = join(root, ".venv-tools", "bin", "kubernetes-validate");
const required = process.env.RTA_REQUIRE_MANIFEST_VALIDATOR === "1";
if (!existsSync(validator) && required)
  throw new Error(
    "RTA_REQUIRE_MANIFEST_VALIDATOR=1 but .venv-tools has no kubernetes-validate: node scripts/setup-manifest-validator.mjs",
  );

const manifests = readdirSync(folder).filter((name) => name.endsWith(".yaml") && name !== "kustomization.yaml");
const documentsOf = (name: string) =>
  parseAllDocuments(readFileSync(join(folder, name), "utf8")).map((document) => document.toJS() as unknown);
const resourceSchema = z.object({
  kind: z.string(),
  metadata: z.object({ name: z.string() }),
  spec: z.record(z.string(), z.unknown()).optional(),
});

function validate(files: string[]) {
  const result = spawnSync(validator, ["--strict", "--no-warn", ...files], { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(!existsSync(validator))(
  "Kubernetes manifests (skipped without .venv-tools: node scripts/setup-manifest-validator.mjs)",
  () => {
    const scratch = mkdtempSync(join(tmpdir(), "rta-k8s-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it("pass Kubernetes' schemas, strictly (no unknown field)", () => {
      const { status, output } = validate(manifests.map((name) => join(folder, name)));
      expect(output).not.toMatch(/ERROR|failed/);
      expect(status).toBe(0);
    });

    it("and the validator does reject a broken manifest", () => {
      const broken = readFileSync(join(folder, "agent-deployment.yaml"), "utf8").replace(
        "replicas: 2",
        "replicas: two",
      );
      writeFileSync(join(scratch, "broken.yaml"), broken);
      const typo = readFileSync(join(folder, "agent-hpa.yaml"), "utf8").replace("minReplicas:", "minReplica:");
      writeFileSync(join(scratch, "typo.yaml"), typo);
      expect(validate([join(scratch, "broken.yaml")]).status).not.toBe(0);
      expect(validate([join(scratch, "typo.yaml")]).status).not.toBe(0);
    });
  },
);

describe("Kubernetes manifests, as the project means them", () => {
  const resources = manifests.flatMap(documentsOf).map((document) => resourceSchema.parse(document));
  const byKind = (kind: string) => resources.filter((resource) => resource.kind === kind);

  it("are all listed in the kustomization, which leaves the example secret out", () => {
    const kustomization = z.object({ resources: z.array(z.string()) }).parse(documentsOf("kustomization.yaml")[0]);
    expect([...kustomization.resources].sort()).toEqual(manifests.filter((name) => !name.includes("example")).sort());
  });

  it("give the server probes, resource requests and an autoscaler on open sessions", () => {
    const deployment = z
      .object({
        spec: z.object({
          template: z.object({
            spec: z.object({
              containers: z.array(
                z.object({
                  readinessProbe: z.object({ httpGet: z.object({ path: z.string() }) }),
                  livenessProbe: z.object({ httpGet: z.object({ path: z.string() }) }),
                  startupProbe: z.object({ httpGet: z.object({ path: z.string() }) }),
                  resources: z.object({ requests: z.object({ cpu: z.string(), memory: z.string() }) }),
                }),
              ),
            }),
          }),
        }),
      })
      .parse(byKind("Deployment").find((resource) => resource.metadata.name === "agent"));
    const container = deployment.spec.template.spec.containers[0]!;
    expect(container.readinessProbe.httpGet.path).toBe("/health");
    expect(container.startupProbe.httpGet.path).toBe("/health");
    const hpa = byKind("HorizontalPodAutoscaler")[0]!;
    expect(JSON.stringify(hpa.spec)).toContain("agent_active_sessions");
    for (const workload of [...byKind("Deployment"), ...byKind("StatefulSet")])
      expect(JSON.stringify(workload.spec)).toContain('"requests"');
  });
});
