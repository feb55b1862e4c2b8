#!/bin/sh
# pack_test.sh - pack the extension (pack.sh) and look inside the .vsix.
#
#   sh editors/vscode/test/pack_test.sh WORK_DIR
#
# Exits 77 (CTest: skipped) when npm is missing or cannot reach its
# registry or cache; otherwise the package must hold the manifest, the
# grammar, the language configuration, the client and its npm packages.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:?usage: pack_test.sh WORK_DIR}
mkdir -p "$work"
command -v npm >/dev/null 2>&1 || { echo "npm is not installed: skipped"; exit 77; }
if ! sh "$here/pack.sh" "$work/edict.vsix" >"$work/pack.log" 2>&1; then
	if ! npm ping >/dev/null 2>&1; then
		echo "the npm registry cannot be reached: skipped"
		exit 77
	fi
	cat "$work/pack.log"
	exit 1
fi
python3 - "$work/edict.vsix" <<'PY'
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
need = ["extension/package.json", "extension/extension.js", "extension/language-configuration.json",
        "extension/syntaxes/edict.tmLanguage.json", "extension/node_modules/vscode-languageclient/package.json",
        "extension.vsixmanifest"]
missing = [n for n in need if n not in names]
manifest = json.loads(z.read("extension/package.json"))
langs = [l["id"] for l in manifest["contributes"]["languages"]]
bad = [n for n in names if n.startswith("extension/test/") or n.endswith(".in.json")]
if missing or langs != ["edict"] or bad:
    print("missing:", missing, "languages:", langs, "should not be packed:", bad)
    sys.exit(1)
print("edict.vsix: %d files, the language edict, grammar and client included" % len(names))
PY
