import { describe, expect, it } from "vitest";
import { createVectorIndex } from "./vector-index.ts";

const unit = (...values: number[]) => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values.map((value) => value / norm));
};

describe("vector index", () => {
  it("loads usearch's prebuilt HNSW index here, and it finds what the exact scan finds", () => {
    const hnsw = createVectorIndex(4);
    const exact = createVectorIndex(4, { exact: true });
    expect(hnsw.kind).toBe("usearch-hnsw");
    expect(exact.kind).toBe("exact");
    const vectors = [unit(1, 0, 0, 0), unit(0.9, 0.1, 0, 0), unit(0, 1, 0, 0), unit(0, 0, 1, 1)];
    for (const index of [hnsw, exact]) {
      vectors.forEach((vector, position) => index.add(BigInt(position + 1), vector));
      expect(index.search(unit(1, 0.05, 0, 0), 2)).toEqual([1n, 2n]);
      index.remove(1n);
      expect(index.size).toBe(3);
      expect(index.search(unit(1, 0.05, 0, 0), 1)).toEqual([2n]);
    }
  });
});
