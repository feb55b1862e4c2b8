// extension.js - the Edict extension for VS Code: starts `edict lsp` (the
// command named by the edict.path setting) as the language server of every
// .edict file.  Highlighting comes from the TextMate grammar; everything
// else (diagnostics, hover, definitions, references, rename, completion,
// formatting, quick fixes, the "Run test" lenses) from the server.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("edict").get("path") || "edict";
  const serverOptions = { command, args: ["lsp"] };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "edict" },
      { scheme: "untitled", language: "edict" },
    ],
    // rule files changed outside the editor (a checkout) are checked again
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.edict") },
  };
  client = new LanguageClient("edict", "Edict language server", serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
