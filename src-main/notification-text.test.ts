import { describe, expect, it } from 'vitest';
import { notificationText } from './notification-text.ts';

describe('notificationText', () => {
  it('escapes markup for Linux notification servers only', () => {
    const body = 'see <a href="https://evil.example">this</a> & <img src="file:///etc/passwd">';
    expect(notificationText(body, 'linux')).toBe(
      'see &lt;a href="https://evil.example"&gt;this&lt;/a&gt; &amp; &lt;img src="file:///etc/passwd"&gt;',
    );
    expect(notificationText(body, 'darwin')).toBe(body);
    expect(notificationText(body, 'win32')).toBe(body);
  });
});
