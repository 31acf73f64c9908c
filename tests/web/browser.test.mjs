// Browser tests in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core): a doctor's
// tap through the HCP gate to the material, the expired and forged notices, and the head-office view against
// the store. Run by scripts/web.sh, which builds `mrc`; screenshots land in target/web-artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const root = resolve(import.meta.dirname, "../..");
const mrc = process.env.MRC_BIN ?? join(root, "target/debug/mrc");
const artifacts = join(root, "target/web-artifacts");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

let dir, data, fixture, server, base, browser;

function sql(query) {
  const script = "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])";
  return Number(execFileSync("python3", ["-c", script, join(data, "server.db"), query]).toString().trim());
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "mrc-web-"));
  data = join(dir, "server");
  fixture = JSON.parse(execFileSync(mrc, ["admin", "demo-data", "--data", data]).toString());
  server = spawn(mrc, ["serve", "--data", data, "--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  const first = await new Promise((ok, fail) => {
    createInterface({ input: server.stdout }).once("line", ok);
    server.once("exit", (code) => fail(new Error(`mrc serve exited with ${code}`)));
  });
  base = first.replace("listening on ", "").trim();
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function newPage(locale = "ja-JP") {
  const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(String(e)));
  return { context, page, problems };
}

test("tap URL → HCP gate → the current material", async () => {
  const { context, page, problems } = await newPage();
  const tapped = await page.goto(base + fixture.cards.valid);
  assert.equal(tapped.status(), 200);
  assert.match(page.url(), /\/v\//, "the tap redirects to a view link");
  assert.equal(await page.locator("h1").textContent(), "医療関係者の方ですか？");
  assert.equal(await page.locator("object").count(), 0, "nothing before the answer");
  await page.screenshot({ path: join(artifacts, "1-hcp-gate.png"), fullPage: true });

  await page.getByRole("button", { name: "はい、医療関係者です" }).click();
  await page.waitForLoadState();
  assert.equal(await page.locator("h1").textContent(), fixture.material.title);
  const viewer = page.locator("object[type='application/pdf']");
  assert.equal(await viewer.count(), 1);
  const file = await page.request.get(base + (await viewer.getAttribute("data")));
  assert.equal(file.status(), 200);
  assert.equal(file.headers()["content-type"], "application/pdf");
  assert.equal((await file.body()).subarray(0, 5).toString(), "%PDF-");
  await page.screenshot({ path: join(artifacts, "2-material.png"), fullPage: true });

  // The answer is remembered for the session: the next tap goes straight to the material.
  await page.goto(base + fixture.cards.valid);
  assert.equal(await page.locator("h1").textContent(), fixture.material.title);
  assert.deepEqual(problems, [], "no script errors or CSP violations");
  await context.close();
});

test("an expired material shows a notice, in English when the browser prefers it", async () => {
  const { context, page } = await newPage();
  const answer = await page.goto(base + fixture.cards.expired);
  assert.equal(answer.status(), 410);
  assert.equal(await page.locator("h1").textContent(), "この資材は有効期限が切れています");
  assert.equal(await page.locator("object, video, img").count(), 0);
  await page.screenshot({ path: join(artifacts, "3-expired.png"), fullPage: true });
  await context.close();

  const english = await newPage("en-US");
  await english.page.goto(base + fixture.cards.expired);
  assert.equal(await english.page.locator("h1").textContent(), "This material has expired");
  await english.context.close();
});

test("a forged card shows a warning and is logged", async () => {
  const before = sql("SELECT count(*) FROM events WHERE verification = 'forged'");
  const { context, page } = await newPage();
  const answer = await page.goto(base + fixture.cards.forged);
  assert.equal(answer.status(), 403);
  assert.equal(await page.locator("h1").textContent(), "このカードは正規のものではない可能性があります");
  assert.equal(await page.locator("object, video, img").count(), 0);
  assert.equal(sql("SELECT count(*) FROM events WHERE verification = 'forged'"), before + 1);
  await page.screenshot({ path: join(artifacts, "4-forged.png"), fullPage: true });
  await context.close();
});

test("the head-office view shows the store's figures, charts, sortable and filterable tables", async () => {
  const context = await browser.newContext({ locale: "ja-JP", viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(String(e)));

  await page.goto(base + "/admin");
  assert.match(page.url(), /\/admin\/login$/);
  await page.fill("input[name=token]", "not-a-token");
  await page.getByRole("button", { name: "ログイン" }).click();
  assert.equal(await page.locator(".error").textContent(), "トークンが正しくありません。");
  problems.length = 0; // the refused sign-in answered 401, as it should
  await page.fill("input[name=token]", fixture.head_office_token);
  await page.getByRole("button", { name: "ログイン" }).click();
  await page.waitForSelector("body[data-charts-ready=true]");
  assert.match(page.url(), /\/admin$/);
  // The window that covers the demo data's days (the default is this quarter).
  const window = `from=${fixture.window.from}&to=${fixture.window.to}`;
  await page.goto(base + "/admin?" + window);
  await page.waitForSelector("body[data-charts-ready=true]");

  const figure = async (id) => Number(await page.locator(`#${id}`).textContent());
  assert.equal(await figure("kpi-visits"), sql("SELECT count(*) FROM docs"));
  assert.equal(await figure("kpi-taps"), sql("SELECT count(*) FROM events WHERE kind IN ('nfc_tap', 'web_tap')"));
  assert.equal(
    await figure("kpi-verified"),
    sql("SELECT count(*) FROM events WHERE kind IN ('nfc_tap', 'web_tap') AND verification = 'verified'"),
  );
  const flagged = await figure("kpi-flagged");
  assert.ok(flagged > 0 && flagged < (await figure("kpi-visits")) / 2, `flagged ${flagged}`);

  // Both charts drew on their canvases.
  for (const id of ["chart-weeks", "chart-scores"]) {
    const drawn = await page.$eval(`#${id}`, (c) => {
      const pixels = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      return pixels.some((v, i) => i % 4 === 3 && v !== 0);
    });
    assert.ok(drawn, `${id} has pixels`);
  }

  // The weekly chart follows the material picker: its total is that material version's taps in the store.
  const taps = (where) => sql(`SELECT count(*) FROM events WHERE kind IN ('nfc_tap', 'web_tap') ${where}`);
  assert.equal(Number(await page.locator("#chart-weeks").getAttribute("data-total")), taps(""));
  const { id, version } = fixture.material;
  await page.selectOption("#chart-material", `${id}@${version}`);
  assert.equal(
    Number(await page.locator("#chart-weeks").getAttribute("data-total")),
    taps(`AND material_id = '${id}' AND material_version = ${version}`),
  );

  // The engagement table sorts by a column and filters by text.
  const rows = page.locator("#table-materials tbody tr:not(.hidden)");
  const total = await rows.count();
  assert.ok(total > 3);
  await page.locator("#table-materials th").nth(3).click();
  await page.locator("#table-materials th").nth(3).click();
  const appTaps = await page.$$eval("#table-materials tbody tr", (trs) => trs.map((tr) => Number(tr.cells[3].textContent)));
  assert.deepEqual(appTaps, [...appTaps].sort((a, b) => b - a), "sorted descending");
  await page.fill("input[data-filter=table-materials]", fixture.material.id);
  assert.ok((await rows.count()) >= 1 && (await rows.count()) < total);
  await page.fill("input[data-filter=table-materials]", "");

  // The reliability table has one row per rep and the team.
  assert.equal(await page.locator("#table-reps tbody tr").count(), sql("SELECT count(DISTINCT owner) FROM docs") + 1);
  await page.screenshot({ path: join(artifacts, "5-head-office.png"), fullPage: true });

  // Findings are named in Japanese with their points; a visit opens its detail page, a rep the rep's visits.
  const findings = await page.locator("#table-visits tbody tr").first().locator("td").nth(3).textContent();
  assert.match(findings, /[ぁ-んァ-ン一-龯].* [−+]\d+/, findings);
  await page.locator("#table-visits tbody tr").first().locator("a[href^='/admin/visit/']").click();
  await page.waitForSelector("#visit #score");
  assert.ok((await page.locator("#findings li").count()) >= 1);
  assert.ok((await page.locator("#notes").textContent()).length > 0);
  await page.screenshot({ path: join(artifacts, "6-visit.png"), fullPage: true });
  await page.goBack();
  await page.locator("#table-reps tbody tr").first().locator("a").click();
  await page.waitForSelector("#table-list");
  const rep = new URL(page.url()).searchParams.get("rep");
  assert.equal(await page.locator("#table-list tbody tr").count(), Math.min(100, sql(`SELECT count(*) FROM docs WHERE owner = '${rep}'`)));
  await page.selectOption("select[name=code]", "material_without_evidence");
  await page.getByRole("button", { name: "表示" }).click();
  await page.waitForSelector("#table-list");
  assert.match(page.url(), /code=material_without_evidence/);
  await page.screenshot({ path: join(artifacts, "7-visits.png"), fullPage: true });
  await page.goto(base + "/admin?" + window);

  const csv = await page.request.get(base + "/admin/export/visits.csv?" + window);
  assert.equal(csv.status(), 200);
  assert.equal((await csv.text()).trim().split("\n").length - 1, sql("SELECT count(*) FROM docs"));
  assert.deepEqual(problems, [], "no script errors or CSP violations");
  await context.close();
});

test("the insights page shows what doctors need, with the store's counts and drawn bars", async () => {
  const context = await browser.newContext({ locale: "ja-JP", viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(base + "/admin/login");
  await page.fill("input[name=token]", fixture.head_office_token);
  await page.getByRole("button", { name: "ログイン" }).click();
  const window = `from=${fixture.window.from}&to=${fixture.window.to}`;
  await page.goto(base + "/admin?" + window);
  await page.locator("#insights-link").click();
  await page.waitForSelector("#needs");
  assert.match(page.url(), /\/admin\/insights\?/);

  const figure = async (id) => Number(await page.locator(`#${id}`).textContent());
  assert.equal(await figure("kpi-needs"), sql("SELECT count(*) FROM insight_facts WHERE kind = 'need'"));
  assert.equal(
    await figure("kpi-awaiting"),
    sql("SELECT count(*) FROM insight_facts WHERE (kind = 'question' AND flag AND code <> 'routed') OR (kind = 'safety' AND flag)"),
  );
  // Topics are named in Japanese, and the first row's bar is drawn at full width (it is the most raised need).
  const topic = await page.locator("#needs tbody tr").first().locator("td").nth(1).textContent();
  assert.match(topic, /[ぁ-んァ-ン一-龯]/, topic);
  const width = await page.locator("#needs tbody tr").first().locator("svg.bar rect").getAttribute("width");
  assert.equal(Number(width), 120);
  const box = await page.locator("#needs tbody tr").first().locator("svg.bar").boundingBox();
  assert.ok(box && box.width > 0, "the bar is laid out");
  // The stage bars have one rectangle per stage of a product, and the table sorts.
  assert.ok((await page.locator(".stage-bar rect").count()) >= 1);
  await page.locator("#needs th").nth(2).click();
  const totals = await page.$$eval("#needs tbody tr", (trs) => trs.map((tr) => Number(tr.cells[2].textContent)));
  assert.deepEqual(totals, [...totals].sort((a, b) => a - b), "sorted ascending");
  await page.screenshot({ path: join(artifacts, "8-insights.png"), fullPage: true });
  assert.deepEqual(problems, [], "no script errors or CSP violations");
  await context.close();
});
