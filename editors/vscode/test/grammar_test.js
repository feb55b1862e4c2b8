// grammar_test.js - the Edict TextMate grammar, tokenized by vscode-textmate
// with vscode-oniguruma (what VS Code itself uses), against golden files of
// token scopes: for each fixtures/NAME.edict, fixtures/NAME.scopes holds one
// line per token, "LINE:COL 'text' scope scope ...".  UPDATE=1 rewrites them.
//
//   node grammar_test.js   (with NODE_PATH holding the two npm packages)
const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = __dirname;
const grammarPath = path.join(here, "..", "syntaxes", "edict.tmLanguage.json");
const wasm = fs.readFileSync(path.join(path.dirname(require.resolve("vscode-oniguruma")), "onig.wasm")).buffer;

const registry = new vsctm.Registry({
  onigLib: oniguruma.loadWASM(wasm).then(() => ({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s) => new oniguruma.OnigString(s),
  })),
  loadGrammar: async (scope) =>
    scope === "source.edict" ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath) : null,
});

function scopes(grammar, text) {
  const out = [];
  let stack = vsctm.INITIAL;
  text.split("\n").forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      const piece = line.substring(t.startIndex, t.endIndex);
      if (!piece.trim()) continue;
      out.push(`${i + 1}:${t.startIndex + 1} ${JSON.stringify(piece)} ${t.scopes.slice(1).join(" ")}`);
    }
    stack = r.ruleStack;
  });
  return out.join("\n") + "\n";
}

registry.loadGrammar("source.edict").then((grammar) => {
  const dir = path.join(here, "fixtures");
  let failed = 0, checked = 0;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".edict")).sort()) {
    const got = scopes(grammar, fs.readFileSync(path.join(dir, f), "utf8"));
    const golden = path.join(dir, f.replace(/\.edict$/, ".scopes"));
    if (process.env.UPDATE) {
      fs.writeFileSync(golden, got);
      console.log("rewrote", golden);
      continue;
    }
    checked++;
    const want = fs.existsSync(golden) ? fs.readFileSync(golden, "utf8") : "";
    if (got !== want) {
      failed++;
      const g = got.split("\n"), w = want.split("\n");
      const k = g.findIndex((l, i) => l !== w[i]);
      console.log(`FAIL ${f}: first difference at token ${k + 1}\n  expected: ${w[k]}\n  got:      ${g[k]}`);
    }
  }
  console.log(`${checked - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
});
