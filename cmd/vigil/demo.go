package main

import "github.com/spf13/cobra"

func newDemoCmd(a *app) *cobra.Command {
	return &cobra.Command{Use: "demo", Short: "Load the ISKP demo case and print a brief", Hidden: true}
}
