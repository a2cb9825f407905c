import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, secureCard } from '../src/cardHtml';

test('a card gets a strict policy and every one of its scripts the nonce, so only its own inlined scripts run', () => {
  const card = '<!DOCTYPE html><html><head><title>c</title></head><body><script>var plotly = 1;</script><div id="p"></div><SCRIPT type="text/javascript">draw()</SCRIPT></body></html>';
  const secured = secureCard(card, 'abc', 'vscode-resource:');
  assert.match(secured, /<head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-abc'/);
  assert.equal((secured.match(/<script nonce="abc"/gi) ?? []).length, 2);
  assert.doesNotMatch(contentSecurityPolicy('abc', 'x'), /unsafe-eval|https?:|\*/);
});

test('an HTML fragment (an SVG graph) is wrapped in a document with the policy', () => {
  const secured = secureCard('<svg><g/></svg>', 'n1', 'src:');
  assert.match(secured, /^<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy"/);
  assert.match(secured, /<body><svg><g\/><\/svg><\/body>/);
});
