// Desktop notifications: the batcher decides what to show, Electron's Notification shows it.
import { Notification, type BrowserWindow } from 'electron';
import type { NotificationRequest } from '../src-shared/ipc.ts';
import { e2eProbe } from './e2e-probe.ts';
import { NotificationBatcher, type ShownNotification } from '../src-shared/notification-batcher.ts';
import { notificationText } from './notification-text.ts';
import { sendRoomOpen } from './window.ts';

export interface NotifierOptions {
  /** Shows (and on macOS, re-creates) the main window and returns it. */
  showWindow: () => BrowserWindow;
  doNotDisturb: boolean;
}

export interface Notifier {
  push(request: NotificationRequest): void;
  doNotDisturb: boolean;
  dispose(): void;
}

export function createNotifier({ showWindow, doNotDisturb }: NotifierOptions): Notifier {
  // Referenced until closed: a notification object that is garbage-collected loses its click handler.
  const live = new Set<Notification>();
  let warnedUnsupported = false;
  const probe = e2eProbe();

  const openRoom = ({ roomId, threadId, messageId, server }: ShownNotification) => {
    const window = showWindow();
    if (roomId !== undefined) sendRoomOpen(window, roomId, threadId, messageId, server);
  };

  const show = (shown: ShownNotification) => {
    if (!Notification.isSupported()) {
      if (probe !== null) probe.notificationsUnsupported = true;
      if (!warnedUnsupported) {
        warnedUnsupported = true;
        console.warn(
          'Palaver: this system has no desktop notifications (on Linux, install a notification daemon and libnotify); not showing any.',
        );
      }
      return;
    }
    const notification = new Notification({
      title: shown.title,
      body: notificationText(shown.body, process.platform),
    });
    const forget = () => live.delete(notification);
    notification.on('click', () => {
      forget();
      openRoom(shown);
    });
    notification.on('close', forget);
    notification.on('failed', (_event, error) => {
      forget();
      console.error(`Palaver: a desktop notification could not be shown (${error}).`);
    });
    live.add(notification);
    probe?.notifications.push({
      title: shown.title,
      body: shown.body,
      ...(shown.roomId === undefined ? {} : { roomId: shown.roomId }),
      ...(shown.threadId === undefined ? {} : { threadId: shown.threadId }),
      ...(shown.messageId === undefined ? {} : { messageId: shown.messageId }),
      click: () => notification.emit('click'),
    });
    notification.show();
  };

  const batcher = new NotificationBatcher({ show });
  batcher.doNotDisturb = doNotDisturb;

  return {
    push: (request) => batcher.push(request),
    get doNotDisturb() {
      return batcher.doNotDisturb;
    },
    set doNotDisturb(on: boolean) {
      batcher.doNotDisturb = on;
    },
    dispose() {
      batcher.dispose();
      for (const notification of live) notification.close();
      live.clear();
    },
  };
}
