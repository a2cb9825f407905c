// Cards are self-contained HTML (Plotly inlined). In a webview they run under a strict Content-Security-Policy:
// nothing from the network, inline scripts only with this load's nonce, styles inline. Pure logic.
import { randomBytes } from 'node:crypto';

/** A fresh nonce for one webview load. */
export function nonce(): string {
  return randomBytes(16).toString('base64');
}

/** The policy: no default sources; the card's own (nonced) scripts, inline styles, images from data: and the webview. */
export function contentSecurityPolicy(nonceValue: string, webviewSource: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonceValue}'`,
    `style-src 'unsafe-inline' ${webviewSource}`,
    `img-src data: ${webviewSource}`,
    `font-src data: ${webviewSource}`,
  ].join('; ');
}

/** The card with the policy in its head and the nonce on each of its script tags. */
export function secureCard(html: string, nonceValue: string, webviewSource: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(nonceValue, webviewSource)}">`;
  const scripted = html.replace(/<script(?![^>]*\bnonce=)/gi, `<script nonce="${nonceValue}"`);
  return /<head[^>]*>/i.test(scripted)
    ? scripted.replace(/<head[^>]*>/i, match => `${match}${meta}`)
    : `<!DOCTYPE html><html><head>${meta}</head><body>${scripted}</body></html>`;
}
