package main

import (
	"strings"
	"testing"
	"unicode"
)

func TestIsSingleEmojiAcceptsEmojiPeoplePick(t *testing.T) {
	for _, emoji := range []string{
		"👍", "😂", "🎉", "🙏",
		"❤️",         // a text-default pictograph with its emoji-presentation selector
		"❤",          // and without it
		"👍🏽",         // skin tone
		"✌️",         // presentation selector on a BMP pictograph
		"🏳️‍🌈",       // ZWJ sequence with a presentation selector
		"❤️‍🔥",       // ZWJ sequence on a text-default pictograph
		"🧑🏽‍💻",       // skin tone inside a ZWJ sequence
		"👨‍👩‍👧‍👦",    // family: four people joined
		"👩🏻‍❤️‍💋‍👨🏿", // kiss with two skin tones, one of the longest in use
		"🇫🇷", "🇺🇳",   // country flags: two regional indicators
		"🏴󠁧󠁢󠁳󠁣󠁴󠁿",          // subdivision flag (Scotland): black flag and tags
		"1️⃣", "#️⃣", "*⃣", // keycaps, with and without the selector
		"🫩", // Unicode 16
	} {
		if !isSingleEmoji(emoji) {
			t.Errorf("isSingleEmoji(%q) = false, want true (% x)", emoji, []byte(emoji))
		}
	}
}

func TestIsSingleEmojiRefusesEverythingElse(t *testing.T) {
	for _, text := range []string{
		"", "abc", "a", "1", "#", "<img src=x>", "👍👍", "👍 ", " 👍", " ", "\t", "\n", "\u200b",
		"\x00", "\x1b[31m", "\u202e👍", "👍\u200d", "\u200d👍", "👍\u200d\u200d😂",
		"🏻",                // a skin tone on its own
		"👍🏽🏽",              // two skin tones
		"🇫", "🇫🇷🇩🇪", "🇫🇷🇩", // a lone regional indicator, two flags, three indicators
		"🏴\U000E0067\U000E0062", // tags without their cancel tag
		"\U000E007F",            // a cancel tag alone
		"1⃣⃣", "12⃣", "x⃣",      // broken keycaps
		"é", "\u0301", "👍\u0301", // letters and combining marks
		"😂\ufe0e",  // text presentation: shown as a glyph, not an emoji
		"\xff\xfe", // not UTF-8
		"ａ",        // fullwidth letter
		strings.Repeat("👨‍👩‍👧‍👦\u200d", 3) + "👦", // one cluster, but longer than any emoji in use
	} {
		if isSingleEmoji(text) {
			t.Errorf("isSingleEmoji(%q) = true, want false", text)
		}
	}
}

func TestExtendedPictographicTable(t *testing.T) {
	for _, r := range []rune{0x00A9, 0x2764, 0x1F44D, 0x1F600, 0x1F9D1, 0x1FAE8, 0x1FFFD} {
		if !unicode.Is(extendedPictographic, r) {
			t.Errorf("U+%04X should be Extended_Pictographic", r)
		}
	}
	for _, r := range []rune{'a', '0', 0x1F1E6, 0x1F3FB, 0x200D, 0xFE0F, 0x20E3, 0xE0067, 0x1F000 - 1} {
		if unicode.Is(extendedPictographic, r) {
			t.Errorf("U+%04X should not be Extended_Pictographic", r)
		}
	}
	if len("👩🏻‍❤️‍💋‍👨🏿") > maxReactionEmojiBytes {
		t.Errorf("the longest emoji in use must fit maxReactionEmojiBytes")
	}
}
