// How a notification's text reaches the platform's notification server.

/**
 * Text as the platform's notification server should get it. Linux servers read the body as markup
 * (<a>, <img>, entities), so a message could add links or images to its own notification; escaped, it
 * shows as typed.
 */
export function notificationText(text: string, platform: NodeJS.Platform): string {
  if (platform !== 'linux') return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
