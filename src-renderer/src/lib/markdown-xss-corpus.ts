// Messages an attacker would post to run script, load something, or hide where a link goes, through the
// markdown path (each has markup, so it is formatted, not shown as plain text). Checked twice: on
// markdown-it's output in Node (markdown-render.test.ts) and, sanitised, in the page in real Chromium
// (e2e/web/formatting.spec.ts), where DOMPurify has a real DOM. A payload that would run sets
// window.__pwned, which the e2e test reads.
const RUN = 'window.__pwned=1';

export const XSS_PAYLOADS: readonly string[] = [
  // schemes in markdown links, in every spelling a parser might decode
  `[click](javascript:${RUN})`,
  `[click](JaVaScRiPt:${RUN})`,
  `[click]( javascript:${RUN})`,
  `[click](<javascript:${RUN}>)`,
  `[click](java\tscript:${RUN})`,
  `[click](&#106;avascript:${RUN})`,
  `[click](&#x6A;avascript&colon;${RUN})`,
  `[click](javascript&#58;${RUN})`,
  `[click](%6a%61vascript:${RUN})`,
  `[click](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)`,
  `[click](vbscript:msgbox(1))`,
  `[click](file:///etc/passwd)`,
  `[click](http://plain.example.com)`,
  `[click](//evil.example.com)`,
  `[click](https://user:pass@evil.example.com)`,
  `[click][ref]\n\n[ref]: javascript:${RUN}`,
  // autolinks and bare URLs
  `<javascript:${RUN}>`,
  `<data:text/html,<script>${RUN}</script>>`,
  `**x** javascript:${RUN}`,
  `**x** <https://ok.example.com/"onmouseover="${RUN}>`,
  // raw HTML, which is off
  `**x** <script>${RUN}</script>`,
  `**x** <img src=x onerror="${RUN}">`,
  `**x** <svg onload="${RUN}"></svg>`,
  `**x** <iframe src="https://evil.example.com"></iframe>`,
  `**x** <object data="https://evil.example.com/x.swf"></object>`,
  `**x** <style>body{display:none}</style>`,
  `**x** <a href="javascript:${RUN}">a</a>`,
  `<details open ontoggle="${RUN}">\n\n**x**`,
  `**x** <math><mtext><table><mglyph><style><img src=x onerror="${RUN}">`,
  // images, which are off
  `![x](https://evil.example.com/track.png)`,
  `![x](javascript:${RUN})`,
  `![x](https://evil.example.com/a.png "title" onerror="${RUN}")`,
  `[![x](https://evil.example.com/a.png)](https://evil.example.com)`,
  // attribute breakouts through link destinations and titles
  `[x](https://ok.example.com/"onmouseover="${RUN})`,
  `[x](https://ok.example.com/'onmouseover='${RUN})`,
  `[x](https://ok.example.com "a\\" onmouseover=\\"${RUN}")`,
  `[x](https://ok.example.com/><script>${RUN}</script>)`,
  // code and quotes holding HTML
  '```\n<script>' + RUN + '</script>\n```',
  '```html onload="' + RUN + '"\n<img src=x onerror=' + RUN + '>\n```',
  `\`<img src=x onerror=${RUN}>\``,
  `> <script>${RUN}</script>\n> > <img src=x onerror=${RUN}>`,
  `- <svg onload=${RUN}>\n  - [x](javascript:${RUN})`,
  `# <img src=x onerror=${RUN}>`,
  // direction and invisible characters that could turn a link around or hide its host
  `[x](https://ok.example.com)\u202e<script>${RUN}</script>`,
  `**x** https://evil.example.com\u202e/moc.elppa`,
  `[https://apple.com](https://evil.example.com)`,
  `**x** https://\u0430pple.com/login`,
  // entity-encoded markup
  `**x** &lt;script&gt;${RUN}&lt;/script&gt;`,
  `**x** &#60;img src=x onerror=${RUN}&#62;`,
];
