import { DEFAULT_EXPORT_DIR, parseExportHclArgs, UsageError } from "../../lib/hcl-export/cli-options";

describe("parseExportHclArgs", () => {
  it("writes to terraform-export by default", () => {
    expect(parseExportHclArgs([])).toEqual({ outDir: DEFAULT_EXPORT_DIR, help: false });
    expect(DEFAULT_EXPORT_DIR).toBe("terraform-export");
  });

  it.each([[["--out", "infra/terraform"]], [["--out=infra/terraform"]]])("takes the folder from %j", (args) => {
    expect(parseExportHclArgs(args)).toEqual({ outDir: "infra/terraform", help: false });
  });

  it("recognises --help", () => {
    expect(parseExportHclArgs(["--help"]).help).toBe(true);
  });

  it.each([
    [["--out"], "--out takes a folder, not nothing"],
    [["--out", "--help"], '--out takes a folder, not "--help"'],
    [["--out="], '--out takes a folder, not ""'],
    [["terraform-export"], 'unknown argument "terraform-export"'],
  ])("rejects %j", (args, message) => {
    expect(() => parseExportHclArgs(args)).toThrow(new UsageError(message));
  });
});
