import { describe, expect, it } from "vitest";
import { EarlyRelease } from "./early-release.ts";

describe("EarlyRelease", () => {
  it("offers every word of an unfinished sentence but the last ones, then a few words at a time", () => {
    const release = new EarlyRelease({ lookaheadWords: 2, stepWords: 3, sentences: 1 });
    expect(release.candidate("Madrid is")).toBeUndefined();
    // The last word may still be growing: it is read ahead with the two before it.
    expect(release.candidate("Madrid is the capi")).toEqual({ show: "Madrid ", probe: "Madrid is the capi" });
    expect(release.candidate("Madrid is the ")).toEqual({ show: "Madrid ", probe: "Madrid is the " });
    release.shown("Madrid ");
    expect(release.candidate("Madrid is the capital of ")).toBeUndefined(); // two new words, fewer than three
    expect(release.candidate("Madrid is the capital of Spain and ")).toEqual({
      show: "is the capital of ",
      probe: "Madrid is the capital of Spain and ",
    });
  });

  it("holds the rest of a sentence whose start did not pass, until it ends", () => {
    const release = new EarlyRelease({ lookaheadWords: 1, stepWords: 1, sentences: 9 });
    release.shown("Sure, ");
    release.hold();
    expect(release.candidate("Sure, here is how you do it ")).toBeUndefined();
    expect(release.rest("Sure, here is how you do it. ")).toBe("here is how you do it. ");
    // The next sentence starts fresh.
    expect(release.candidate("It is easy ")).toEqual({ show: "It is ", probe: "It is easy " });
  });

  it("gives a sentence's unshown part when it ends, and carries over what was shown past a cut run", () => {
    const release = new EarlyRelease({ lookaheadWords: 1, stepWords: 1, sentences: 9 });
    release.shown("one two three ");
    // The sentence gate cut a long run after "one two " (its length limit): all of it was shown.
    expect(release.rest("one two ")).toBe("");
    expect(release.rest("three four. ")).toBe("four. ");
    expect(release.rest("Five. ")).toBe("Five. ");
  });

  it("shows only a response's first sentences early", () => {
    const release = new EarlyRelease({ lookaheadWords: 1, stepWords: 1, sentences: 1 });
    expect(release.candidate("Madrid is big ")).toEqual({ show: "Madrid is ", probe: "Madrid is big " });
    release.rest("Madrid is big. ");
    expect(release.candidate("It has a river ")).toBeUndefined();
  });
});
