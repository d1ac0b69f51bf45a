/**
 * Renders assets/icon.svg (the one source image) into the PNG sizes the packages need, with Debian's
 * Chromium: assets/icon.png (1024, electron-builder's source for .icns/.ico) and assets/icons/<size>x<size>.png
 * for Linux. Run `node scripts/gen-icons.ts` after changing the SVG; the outputs are committed.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";

const assets = join(import.meta.dirname, "..", "assets");
const svg = readFileSync(join(assets, "icon.svg"), "utf8");
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless=new", "--no-sandbox", "--disable-gpu"] });
mkdirSync(join(assets, "icons"), { recursive: true });
for (const size of SIZES) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace("<svg ", `<svg width="${size}" height="${size}" `)}</body></html>`);
  const png = await page.screenshot({ omitBackground: true });
  writeFileSync(join(assets, "icons", `${size}x${size}.png`), png);
  if (size === 1024) writeFileSync(join(assets, "icon.png"), png);
  await page.close();
}
await browser.close();
console.log(`wrote ${SIZES.length} icon sizes`);
