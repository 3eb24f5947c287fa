import type { EvalSuite } from "../runner/types.ts";
import { answersSuite } from "./answers/suite.ts";
import { bfclSuite } from "./bfcl/suite.ts";
import { cacheSuite } from "./cache/suite.ts";
import { dialogueSuite } from "./dialogue/suite.ts";
import { judgeCalibrationSuite } from "./judge-calibration/suite.ts";
import { toolUseSuite } from "./tool-use/suite.ts";
import { xstestSuite } from "./xstest/suite.ts";
import { spanishSafetySuite } from "./safety-es/suite.ts";
import { feedbackSuite } from "./feedback/suite.ts";
import { profilesSuite } from "./profiles/suite.ts";
import { routingSuite } from "./routing/suite.ts";
import { exactAnswersSuite } from "./exact-answers/suite.ts";
import { reasoningSuite } from "./reasoning/suite.ts";

/** Built-in suites by name. */
// biome-ignore lint/suspicious/noExplicitAny: each definition is typed by its own schema
export const suites: Record<string, EvalSuite<any>> = {
  bfcl: bfclSuite,
  xstest: xstestSuite,
  dialogue: dialogueSuite,
  "judge-calibration": judgeCalibrationSuite,
  "tool-use": toolUseSuite,
  answers: answersSuite,
  cache: cacheSuite,
  "safety-es": spanishSafetySuite,
  feedback: feedbackSuite(),
  profiles: profilesSuite,
  routing: routingSuite,
  "exact-answers": exactAnswersSuite,
  reasoning: reasoningSuite,
};
