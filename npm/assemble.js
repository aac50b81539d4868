#!/usr/bin/env node
// Assembles the npm packages from built temis binaries (the esbuild / biome pattern):
//
//   node npm/assemble.js --version X.Y.Z --out DIR [--pack] TARGET=BINARY...
//
// For each TARGET (a Rust target triple listed in npm/platforms.json) it writes
// DIR/temis-<os>-<cpu>/, the package @temis/<os>-<cpu> holding bin/temis (bin/temis.exe on
// Windows) with `os` and `cpu` fields, so npm installs it only on that platform. Then DIR/temis/,
// the package `temis`: the launcher bin/temis.js and an optional dependency on exactly version
// X.Y.Z of each platform package given. With --pack, `npm pack` turns each folder into
// DIR/*.tgz, the files `npm publish` uploads. Prints one line per package written.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const here = __dirname;
const root = path.resolve(here, "..");

function die(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const args = { version: "", out: "", pack: false, binaries: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--version") args.version = argv[++i] || "";
    else if (a === "--out") args.out = argv[++i] || "";
    else if (a === "--pack") args.pack = true;
    else if (a.includes("=") && !a.startsWith("-")) {
      const [target, binary] = [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)];
      args.binaries.push({ target, binary });
    } else die(`unknown argument ${a} (usage: assemble.js --version X.Y.Z --out DIR [--pack] TARGET=BINARY...)`);
  }
  args.version = args.version.replace(/^v/, "");
  if (!/^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$/.test(args.version)) die(`version ${args.version || "(none)"} is not X.Y.Z`);
  if (!args.out) die("--out DIR is required");
  if (args.binaries.length === 0) die("no TARGET=BINARY given");
  return args;
}

const common = (version) => ({
  version,
  license: "MIT OR Apache-2.0",
  keywords: ["quality-gate", "coverage", "ci", "git-hooks", "commitlint"],
});

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const platforms = JSON.parse(fs.readFileSync(path.join(here, "platforms.json"), "utf8"));
  const out = path.resolve(args.out);
  fs.mkdirSync(out, { recursive: true });
  const written = [];
  const optional = {};
  for (const { target, binary } of args.binaries) {
    const p = platforms[target];
    if (!p) die(`target ${target} is not in npm/platforms.json (${Object.keys(platforms).join(", ")})`);
    if (!fs.existsSync(binary) || !fs.statSync(binary).isFile()) die(`${binary}: no such binary`);
    const name = `@temis/${p.os}-${p.cpu}`;
    if (name in optional) die(`two binaries for ${name}`);
    const dir = path.join(out, `temis-${p.os}-${p.cpu}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
    const exe = p.exe || "temis";
    fs.copyFileSync(binary, path.join(dir, "bin", exe));
    fs.chmodSync(path.join(dir, "bin", exe), 0o755);
    writeJson(path.join(dir, "package.json"), {
      name,
      description: `The temis binary for ${p.os} ${p.cpu} (${target}); installed by the temis package.`,
      ...common(args.version),
      os: [p.os],
      cpu: [p.cpu],
      files: [`bin/${exe}`],
      preferUnplugged: true,
    });
    fs.writeFileSync(
      path.join(dir, "README.md"),
      `# ${name}\n\nThe \`temis\` binary built for \`${target}\`. Install \`temis\` instead: npm picks this package on ${p.os} ${p.cpu}.\n`,
    );
    optional[name] = args.version;
    written.push(dir);
  }

  const main = path.join(out, "temis");
  fs.rmSync(main, { recursive: true, force: true });
  fs.mkdirSync(path.join(main, "bin"), { recursive: true });
  fs.copyFileSync(path.join(here, "temis", "bin", "temis.js"), path.join(main, "bin", "temis.js"));
  fs.chmodSync(path.join(main, "bin", "temis.js"), 0o755);
  fs.copyFileSync(path.join(root, "docs", "install.md"), path.join(main, "README.md"));
  writeJson(path.join(main, "package.json"), {
    name: "temis",
    description:
      "A quality gate for git hooks and CI: reads coverage, test, security, accessibility and benchmark reports, holds them against a policy, and answers APPROVED or BLOCKED with every reason.",
    ...common(args.version),
    bin: { temis: "bin/temis.js" },
    files: ["bin/temis.js"],
    engines: { node: ">=18" },
    optionalDependencies: Object.fromEntries(Object.entries(optional).sort()),
  });
  written.push(main);

  for (const dir of written) {
    if (args.pack) {
      const tgz = execFileSync("npm", ["pack", "--silent", "--pack-destination", out], { cwd: dir, encoding: "utf8" })
        .trim()
        .split("\n")
        .pop();
      process.stdout.write(`${path.join(out, tgz)}\n`);
    } else {
      process.stdout.write(`${dir}\n`);
    }
  }
}

main();
