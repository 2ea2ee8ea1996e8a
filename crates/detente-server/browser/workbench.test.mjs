// The workbench page in Debian's Chromium: the steps issue 19 names, on the
// bundled Kuril scenario, with screenshots kept under target/ci-artifacts/.
// Run from scripts/browser.sh (after `cargo build --release -p detente-cli`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const binary = process.env.DETENTE_BIN || join(root, "target/release/detente");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
const artifacts = join(root, "target/ci-artifacts");
const scenarioPath = join(root, "scenarios/kuril-2019.toml");
mkdirSync(artifacts, { recursive: true });

/** Starts `detente serve --port 0 FILE` and resolves with its URL. */
function startServer() {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, ["serve", "--port", "0", scenarioPath], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 20000);
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const m = /detente workbench at (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ child, url: m[1], log: () => log });
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
}

const shot = (page, name) => page.screenshot({ path: join(artifacts, `workbench-${name}.png`), fullPage: true });

test("the workbench on the Kuril scenario", { timeout: 110000 }, async () => {
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox"] });
  const problems = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(30000);
    page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console: ${msg.text()}`); });
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    await page.goto(server.url);

    // 1. The Kuril scenario opens and the verdict reads in words.
    const verdict = page.getByTestId("verdict");
    await page.waitForFunction(() => document.getElementById("verdict").dataset.deal === "no");
    assert.match(await verdict.textContent(), /^No deal: no outcome is allowed by every constraint/);
    assert.equal(await page.getByTestId("plane").getAttribute("data-points"), "8910", "every outcome is drawn");
    await shot(page, "1-opened");

    // 2. An error typed into the editor shows at its line, with its help.
    const original = readFileSync(scenarioPath, "utf8");
    const at = original.indexOf('owner = "russia"') + 'owner = "'.length;
    const line = original.slice(0, at).split("\n").length;
    const editor = page.getByTestId("editor");
    await editor.focus();
    await page.evaluate((at) => document.getElementById("editor").setSelectionRange(at, at + "russia".length), at);
    await page.keyboard.type("rusia");
    const diagnostic = page.locator(`[data-testid=diagnostic][data-line="${line}"]`);
    await diagnostic.waitFor();
    assert.match(await diagnostic.textContent(), /Help: .*russia/);
    assert.equal(await page.locator(`#highlight .line-error[data-line="${line}"]`).count(), 1, "the line is marked in the editor");
    await shot(page, "2-diagnostic");

    // Back to the file as written: the typo corrected by typing.
    await page.evaluate((at) => document.getElementById("editor").setSelectionRange(at, at + "rusia".length), at);
    await page.keyboard.type("russia");
    assert.equal(await editor.inputValue(), original);
    await page.locator("[data-testid=diagnostics] li.ok").waitFor();
    await page.waitForFunction(() => document.getElementById("verdict").dataset.deal === "no");

    // 3. A blocker, clicked, is applied as a what-if: the verdict changes.
    const before = await verdict.textContent();
    await page.getByTestId("blocker").first().click();
    await page.waitForFunction(() => document.getElementById("verdict").dataset.deal === "yes");
    assert.notEqual(await verdict.textContent(), before);
    assert.ok((await page.locator("[data-testid=edits] li").count()) >= 1, "the change is listed");
    await shot(page, "3-blocker");
    await page.locator("#reset-edits").click();
    await page.waitForFunction(() => document.getElementById("verdict").dataset.deal === "no");
    assert.equal(await page.getByTestId("plane").getAttribute("data-agree"), "0");

    // 4. A reservation slider, moved by keyboard, redraws the plane.
    const slider = page.locator("#res-japan");
    await slider.focus();
    const started = Date.now();
    for (let k = 0; k < 10; k++) await page.keyboard.press("ArrowLeft");
    await page.waitForFunction(() => Number(document.getElementById("plane").dataset.agree) > 0);
    const repaint = Date.now() - started;
    assert.ok(Number(await slider.inputValue()) < 0.55);
    // One step of the slider: from the key press to the plane repainted
    // (the first change is sent at once; no pause).
    const paints = Number(await page.getByTestId("plane").getAttribute("data-paints"));
    const one = Date.now();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction((n) => Number(document.getElementById("plane").dataset.paints) > n, paints);
    const status = await page.getByTestId("status").textContent();
    console.log(`slider to repaint: ${Date.now() - one} ms for one step (${repaint} ms for ten held); ${status}`);
    await shot(page, "4-slider");

    // Hovering an outcome shows its changes and everyone's utilities.
    await page.locator("#plane").scrollIntoViewIfNeeded();
    const dot = await page.evaluate(() => {
      // The first outcome in the agreement set, where the page drew it.
      const row = state.analysis.plane.points.find((r) => r[1] === 1);
      const svg = document.getElementById("plane");
      const p = svg.createSVGPoint();
      p.x = state.scale.sx(row[2]);
      p.y = state.scale.sy(row[3]);
      const at = p.matrixTransform(svg.getScreenCTM());
      return { x: at.x, y: at.y };
    });
    await page.mouse.move(dot.x, dot.y);
    const tooltip = page.getByTestId("tooltip");
    await tooltip.waitFor();
    assert.match(await tooltip.textContent(), /Government of Japan.*: 0\.\d{3}/);

    // 5. A negotiation's offers are drawn on the plane; one party gets a
    // strategy of its own.
    await page.locator("#rounds").fill("40");
    await page.locator("#strategy-russia").selectOption("hardliner");
    await page.locator("#run-negotiation").click();
    await page.locator("[data-testid=offer-path] polyline").first().waitFor();
    assert.match(await page.getByTestId("negotiation-result").textContent(), /offers are drawn on the plane/);
    assert.ok((await page.locator("[data-testid=offer-path] circle.offer").count()) > 2);
    const seats = await page.evaluate(() => Object.entries(state.talks.strategies).map(([p, s]) => `${p}=${s.strategy}`).join(" "));
    assert.match(seats, /russia=hardliner/);
    assert.match(seats, /japan=boulware/);
    await shot(page, "5-negotiation");

    // The forecast panel fills its table.
    await page.locator("#run-forecast").click();
    await page.locator("[data-testid=forecast-result] table").waitFor();
    assert.ok((await page.locator("[data-testid=forecast-result] svg.trajectory").count()) > 0, "trajectories by round");

    // The robustness study in words.
    await page.locator("#run-robustness").click();
    await page.getByTestId("robustness-result").getByText(/a deal exists in \d+% of the judgement space/).waitFor();

    // A large space is binned; zoomed in, its cells are counted again at
    // the new scale (150² = 22,500 outcomes: above the points sent one by one).
    let grid = 'format = 1\nname = "grid"\n';
    for (const i of [0, 1]) grid += `[[issues]]\nid = "i${i}"\nkind = "integer"\nmin = 0\nmax = 149\n`;
    for (const [id, pos] of [["a", 149], ["b", 0]]) {
      grid += `[[actors]]\nid = "${id}"\nreservation = 0.3\n`;
      for (const i of [0, 1]) grid += `stances.i${i} = { position = ${pos}, salience = 1 }\n`;
    }
    // A constraint, so that the space is enumerated (and binned) rather
    // than analysed issue by issue.
    grid += '[status_quo]\ni0 = 0\ni1 = 0\n[[constraints]]\nowner = "b"\nlabel = "cap"\nrule = "i0 <= 120"\n';
    await page.locator("#reset-edits").click();
    await editor.fill(grid);
    await page.waitForFunction(() => document.querySelectorAll("#plane rect.cell").length > 0 && !document.getElementById("plane").dataset.points);
    const coarse = await page.locator("#plane rect.cell").count();
    await page.locator("#plane").focus();
    for (let k = 0; k < 2; k++) await page.keyboard.press("+");
    await page.waitForFunction(() => Number(document.getElementById("plane").dataset.fine) > 0);
    const fine = await page.locator("#plane rect.cell").count();
    console.log(`density: ${coarse} cells over the whole plane, ${fine} in the view zoomed 4×`);
    assert.ok(fine > coarse / 4, `zoomed in, ${fine} cells against ${coarse} over the whole plane`);
    await shot(page, "6-density-zoomed");

    // Tablet width: nothing scrolls sideways.
    await page.setViewportSize({ width: 800, height: 1000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than 800`);
    await shot(page, "7-800px");

    // No console errors along the way.
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.child.kill("SIGINT");
  }
});
