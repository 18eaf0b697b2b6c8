// Starts `ccguard lsp` for Markdown and HTML files. Not built or tested by CI: see
// docs/editors.md. Everything else (diagnostics, hover, quick fixes) comes from the server.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration('ccguard');
  client = new LanguageClient(
    'ccguard',
    'ccguard',
    { command: settings.get('path', 'ccguard'), args: ['lsp'] },
    {
      documentSelector: [
        { scheme: 'file', language: 'markdown' },
        { scheme: 'file', language: 'html' },
        { scheme: 'untitled', language: 'markdown' },
        { scheme: 'untitled', language: 'html' },
      ],
      initializationOptions: { verify: settings.get('verify', false) },
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
