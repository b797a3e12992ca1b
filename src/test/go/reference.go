// The truth for the fuzz tests: Go's own time.ParseDuration and path.Match, the functions
// Goctopus (written in Go) uses. One request per line on stdin, fields base64 of UTF-8:
//
//	d <text>            -> "ok <nanoseconds>" or "err"
//	m <pattern> <name>  -> "true", "false" or "bad" (path.ErrBadPattern)
package main

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"os"
	"path"
	"strings"
	"time"
)

func decode(field string) string {
	b, err := base64.StdEncoding.DecodeString(field)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		f := strings.Split(in.Text(), " ")
		switch f[0] {
		case "d":
			d, err := time.ParseDuration(decode(f[1]))
			if err != nil {
				fmt.Fprintln(out, "err")
			} else {
				fmt.Fprintf(out, "ok %d\n", int64(d))
			}
		case "m":
			ok, err := path.Match(decode(f[1]), decode(f[2]))
			if err != nil {
				fmt.Fprintln(out, "bad")
			} else {
				fmt.Fprintln(out, ok)
			}
		}
		out.Flush()
	}
}
