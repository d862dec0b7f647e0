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

  it('passes a message of files ("sent an image") and an empty body through whole, on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(notificationText('sent an image', platform)).toBe('sent an image');
      expect(notificationText('sent 3 files', platform)).toBe('sent 3 files');
      expect(notificationText('', platform)).toBe('');
    }
  });
});
