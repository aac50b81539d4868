#!/usr/bin/env node
// The `temis` command of the npm package: runs the binary of the package built for this
// platform (@temis/<platform>-<arch>, an optional dependency npm installs only where its `os`
// and `cpu` match), with the same arguments, standard streams and exit code. No download at
// install time, no postinstall script. TEMIS_BINARY_PATH runs another binary instead.
"use strict";

const { spawnSync } = require("node:child_process");
const path = require("node:path");

function fail(message) {
  process.stderr.write(`temis: ${message}\n`);
  process.exit(2);
}

function binary() {
  if (process.env.TEMIS_BINARY_PATH) {
    return process.env.TEMIS_BINARY_PATH;
  }
  const pkg = `@temis/${process.platform}-${process.arch}`;
  let dir;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    const { optionalDependencies = {} } = require("../package.json");
    if (!(pkg in optionalDependencies)) {
      fail(
        `no prebuilt binary for ${process.platform}-${process.arch} (built: ${Object.keys(optionalDependencies).join(", ") || "none"}); ` +
          "install from source with `cargo install temis`, or set TEMIS_BINARY_PATH",
      );
    }
    fail(
      `${pkg} is not installed: it is an optional dependency of temis, left out by ` +
        "`--omit=optional` / `--no-optional` or a lockfile made on another platform; reinstall temis without them",
    );
  }
  return path.join(dir, "bin", process.platform === "win32" ? "temis.exe" : "temis");
}

const bin = binary();
const run = spawnSync(bin, process.argv.slice(2), { stdio: "inherit", windowsHide: true });
if (run.error) {
  fail(`cannot run ${bin}: ${run.error.message}`);
}
if (run.signal) {
  process.kill(process.pid, run.signal);
}
process.exit(run.status === null ? 1 : run.status);
