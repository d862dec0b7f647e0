package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pocketbase/ozzo-validation/v4/is"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// bindSuperuserFromStdin adds `superuser-stdin EMAIL`: PocketBase's `superuser upsert EMAIL PASSWORD`
// with the password read from standard input instead of the command line, where `ps`, /proc and sudo's
// log would show it to others. Used by backend/deploy/superuser.sh.
func bindSuperuserFromStdin(app core.App, root *cobra.Command) {
	root.AddCommand(&cobra.Command{
		Use:          "superuser-stdin EMAIL",
		Example:      "superuser-stdin ops@example.com < password-file",
		Short:        "Creates, or updates if the email exists, a superuser whose password is the first line of standard input",
		Args:         cobra.ExactArgs(1),
		SilenceUsage: true,
		RunE: func(_ *cobra.Command, args []string) error {
			email := args[0]
			if is.EmailFormat.Validate(email) != nil || email == "" {
				return fmt.Errorf("%q is not an email address: give the superuser's email as the only argument", email)
			}
			line, err := bufio.NewReader(os.Stdin).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("could not read the password from standard input: %w", err)
			}
			password := strings.TrimRight(line, "\r\n")
			if len(password) < 10 {
				return errors.New("the password on standard input is missing or shorter than 10 characters: pipe or redirect a long one in")
			}
			if !app.IsBootstrapped() {
				if err := app.Bootstrap(); err != nil {
					return err
				}
			}
			superusers, err := app.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
			if err != nil {
				return fmt.Errorf("cannot find the superusers collection: %w", err)
			}
			superuser, err := app.FindAuthRecordByEmail(superusers, email)
			if err != nil {
				superuser = core.NewRecord(superusers)
			}
			superuser.SetEmail(email)
			superuser.SetPassword(password)
			if err := app.Save(superuser); err != nil {
				return fmt.Errorf("could not save the superuser: %w", err)
			}
			fmt.Printf("Saved superuser %q.\n", email)
			return nil
		},
	})
}
