// Emoji for tests of reactions: twenty different ones, as many kinds as one message may have
// (backend/reactions.go), each a single code point.
export const TWENTY_EMOJI: readonly string[] = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙🥲😚🙂'];
