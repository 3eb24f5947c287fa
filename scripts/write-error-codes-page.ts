// Writes docs/errors.md from the error table (npm run docs:errors); core/contracts/error-codes-page.test.ts
// fails when the committed page and the table differ.
import { writeFileSync } from "node:fs";
import { renderErrorCodesPage } from "../core/contracts/error-codes-page.ts";

const page = new URL("../docs/errors.md", import.meta.url);
writeFileSync(page, renderErrorCodesPage());
console.log(`wrote ${page.pathname}`);
