// Runs Lighthouse once per line of the JSON list given as argv[2]
// ([{url, formFactor, output}, ...]) in one Node process and one Chromium: loading
// Lighthouse and starting the browser took 8 of the ~25 s of a CLI run.
// Called by bench/lighthouse.py, which reads the reports.
import fs from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

const runs = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
let failed = 0;
try {
  for (const run of runs) {
    const flags = {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: run.categories,
      // the full-page screenshot is a third of the run and no score uses it
      disableFullPageScreenshot: true,
      maxWaitForLoad: 20000,
    };
    const config = run.formFactor === "desktop" ? desktopConfig : undefined;
    let result;
    for (let attempt = 1; attempt <= 3 && !result?.lhr?.categories?.seo; attempt++) {
      // Chromium now and then loses a trace (NO_NAVSTART); a second run recovers
      result = await lighthouse(run.url, flags, config);
      if (result?.lhr?.runtimeError) {
        console.error(`${run.url} (${run.formFactor}): ${result.lhr.runtimeError.message}`);
        result = undefined;
      }
    }
    if (!result) {
      failed += 1;
      continue;
    }
    fs.writeFileSync(run.output, result.report);
  }
} finally {
  await chrome.kill();
}
process.exit(failed ? 1 : 0);
