package main

import (
	"crypto/sha256"
	"math/big"
	"strings"
)

// reactionIDSpace is 36^15: PocketBase's default ids are 15 characters of a-z0-9.
var reactionIDSpace = new(big.Int).Exp(big.NewInt(36), big.NewInt(15), nil)

// reactionID is the record id of one person's reaction with one emoji to one message, computed as the
// client computes it (src-shared/reaction-id.ts): the first 128 bits of the SHA-256 of
// "message\nuser\nemoji", modulo 36^15, in base 36, padded with zeros to 15 characters.
//
// The server holds every reaction to it (reactions.go). Ids are unique across the collection, so if a
// client could choose any id, anyone could take the id someone else's reaction will need (on a message
// of their own, in a public room) and that person could never make that reaction.
func reactionID(messageID, userID, emoji string) string {
	sum := sha256.Sum256([]byte(messageID + "\n" + userID + "\n" + emoji))
	value := new(big.Int).SetBytes(sum[:16])
	text := value.Mod(value, reactionIDSpace).Text(36)
	return strings.Repeat("0", 15-len(text)) + text
}
