import { DEFAULT_EXPORT_DIR, parseExportHclArgs, UsageError } from "../../lib/hcl-export/cli-options";

describe("parseExportHclArgs", () => {
  it("writes to terraform-export by default", () => {
    expect(parseExportHclArgs([])).toEqual({ outDir: DEFAULT_EXPORT_DIR, help: false });
    expect(DEFAULT_EXPORT_DIR).toBe("terraform-export");
  });

  it.each([[["--out", "infra/terraform"]], [["--out=infra/terraform"]]])("takes the folder from %j", (args) => {
    expect(parseExportHclArgs(args)).toEqual({ outDir: "infra/terraform", help: false });
  });

  it("recognises --help, which wins over anything else given", () => {
    expect(parseExportHclArgs(["--help"]).help).toBe(true);
    expect(parseExportHclArgs(["--out", "--help"]).help).toBe(true);
  });

  it.each([
    [["--out"], "--out needs a value"],
    [["--out", "--json"], '--out takes a folder, not "--json"'],
    [["--out", "a", "--out", "b"], '--out given twice ("a" and "b"): give it once'],
    [["--out="], '--out takes a folder, not ""'],
    [["terraform-export"], 'unknown argument "terraform-export"'],
  ])("rejects %j", (args, message) => {
    expect(() => parseExportHclArgs(args)).toThrow(new UsageError(message));
  });
});
