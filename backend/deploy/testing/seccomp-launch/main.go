// seccomp-launch applies a systemd unit's SystemCallFilter= to a command, for the deployment rehearsal on
// machines without systemd (see backend/deploy/testing/service.sh). Test code only: its own module, so the
// shipped server never carries it.
//
//	seccomp-launch policy UNIT             the unit's allowed calls, expanded by systemd-analyze, as a policy file
//	seccomp-launch exec POLICY CMD ARGS... no_new_privs, the policy's filter, then exec CMD
//	seccomp-launch probe [POLICY]          tries calls the unit refuses (with the filter if POLICY is given),
//	                                       and lists /proc as this process sees it
package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"unsafe"

	seccomp "github.com/elastic/go-seccomp-bpf"
	"github.com/elastic/go-seccomp-bpf/arch"
	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: seccomp-launch policy UNIT | exec POLICY CMD ARGS... | probe [POLICY]")
	}
	var err error
	switch os.Args[1] {
	case "policy":
		if len(os.Args) != 3 {
			fail("usage: seccomp-launch policy UNIT")
		}
		err = printPolicy(os.Args[2])
	case "exec":
		if len(os.Args) < 4 {
			fail("usage: seccomp-launch exec POLICY CMD ARGS...")
		}
		err = execFiltered(os.Args[2], os.Args[3], os.Args[3:])
	case "probe":
		err = probe(os.Args[2:])
	default:
		fail("seccomp-launch: unknown command " + os.Args[1])
	}
	if err != nil {
		fail("seccomp-launch: " + err.Error())
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, message)
	os.Exit(2)
}

// printPolicy writes "errno NAME" and one "allow NAME" line per call the unit allows.
func printPolicy(unitPath string) error {
	text, err := os.ReadFile(unitPath)
	if err != nil {
		return err
	}
	unit, err := ParseUnit(string(text))
	if err != nil {
		return fmt.Errorf("%s: %w", unitPath, err)
	}
	if err := CheckErrno(unit.Errno); err != nil {
		return fmt.Errorf("%s: %w", unitPath, err)
	}
	out, err := exec.Command("systemd-analyze", "syscall-filter", "--no-pager").Output()
	if err != nil {
		return fmt.Errorf("systemd-analyze syscall-filter (it lists the groups' calls): %w", err)
	}
	allowed, err := Allowed(unit, ParseGroups(string(out)))
	if err != nil {
		return err
	}
	fmt.Printf("# from %s by seccomp-launch policy; groups expanded by systemd-analyze\n", unitPath)
	fmt.Printf("errno %s\n", unit.Errno)
	for _, name := range Sorted(allowed) {
		fmt.Printf("allow %s\n", name)
	}
	return nil
}

// loadPolicy returns the allowed calls of this machine's architecture. Names of other architectures'
// calls (systemd's groups list every architecture's) are dropped, as systemd drops them.
func loadPolicy(path string) ([]string, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	info, err := arch.GetInfo("")
	if err != nil {
		return nil, err
	}
	var names []string
	errno := ""
	for _, line := range strings.Split(string(text), "\n") {
		fields := strings.Fields(line)
		if len(fields) != 2 {
			continue
		}
		switch fields[0] {
		case "errno":
			errno = fields[1]
		case "allow":
			if _, ok := info.SyscallNames[fields[1]]; ok {
				names = append(names, fields[1])
			}
		}
	}
	if err := CheckErrno(errno); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s allows no system call of this architecture", path)
	}
	return names, nil
}

// install sets no_new_privs (NoNewPrivileges=yes; the kernel also requires it of an unprivileged
// filter) and the filter, on every thread of this process; exec keeps both.
func install(path string) error {
	names, err := loadPolicy(path)
	if err != nil {
		return err
	}
	return seccomp.LoadFilter(seccomp.Filter{
		NoNewPrivs: true,
		Flag:       seccomp.FilterFlagTSync,
		Policy: seccomp.Policy{
			DefaultAction: seccomp.ActionErrno, // EPERM
			Syscalls:      []seccomp.SyscallGroup{{Action: seccomp.ActionAllow, Names: names}},
		},
	})
}

func execFiltered(policy, command string, argv []string) error {
	// Look the command up before the filter is on, so a failure names the command, not the filter.
	if _, err := os.Stat(command); err != nil {
		return err
	}
	if err := install(policy); err != nil {
		return err
	}
	return syscall.Exec(command, argv, os.Environ())
}

// probe tries calls a service could make, one line each: "NAME ok" or "NAME ERRNO". The privileged and
// resource calls are harmless ones that succeed without the filter (set the user it already has, the
// descriptor limit it already has), so a refusal can only come from the filter.
func probe(args []string) error {
	var limit unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &limit); err != nil {
		return err
	}
	if len(args) == 1 {
		if err := install(args[0]); err != nil {
			return err
		}
	}
	uid := uintptr(os.Getuid())
	calls := []struct {
		name string
		call func() syscall.Errno
	}{
		{"getpid", func() syscall.Errno { _, _, e := syscall.RawSyscall(unix.SYS_GETPID, 0, 0, 0); return e }},
		{"setuid", func() syscall.Errno { _, _, e := syscall.RawSyscall(unix.SYS_SETUID, uid, 0, 0); return e }},
		{"setrlimit", func() syscall.Errno {
			_, _, e := syscall.RawSyscall(unix.SYS_SETRLIMIT, unix.RLIMIT_NOFILE, uintptr(unsafe.Pointer(&limit)), 0)
			return e
		}},
	}
	for _, c := range calls {
		result := "ok"
		if e := c.call(); e != 0 {
			result = unix.ErrnoName(e)
		}
		fmt.Printf("%s %s\n", c.name, result)
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return err
	}
	names := make([]string, 0, len(entries))
	for _, entry := range entries {
		names = append(names, entry.Name())
	}
	fmt.Printf("proc %s\n", strings.Join(names, ","))
	return nil
}
