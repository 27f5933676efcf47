import fc from "fast-check";
import { cutCodePoints, cutToBytes, firstCodePoints } from "../../../handlers/log-processor/well-formed";

/**
 * The bounded cuts every alert, notice and chat body uses. Each reads a bounded prefix of its input (so a 1 MB line
 * costs what a short one does), and gives what the whole-text reference gives, for any text: lone surrogates,
 * surrogate pairs split at the bound, 4-byte characters, and lengths on either side of the bound.
 */
const SEED = 20261202;
const units = fc.constantFrom("a", " ", "€", "😀", "\uD800", "\uDFFF", "\uDBFF\uDFFF", "\u0000", "\n");
const text = fc.oneof(
  fc.string({ unit: units, maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.tuple(units, fc.integer({ min: 0, max: 3_000 })).map(([unit, n]) => unit.repeat(n)),
);

/** The definitions, on the whole text (what the code did before it read only a prefix). */
function referenceCutCodePoints(value: string, max: number): string {
  const characters = Array.from(value);
  return characters.length <= max ? value : `${characters.slice(0, max - 3).join("").trimEnd()}...`;
}
function referenceCutToBytes(value: string, maxBytes: number): string {
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length <= maxBytes) return value;
  let end = maxBytes;
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}

describe("cutCodePoints", () => {
  it("gives what cutting the whole text gives, for any text and bound", () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 4, max: 1_200 }), (value, max) => {
        expect(cutCodePoints(value, max)).toBe(referenceCutCodePoints(value, max));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("keeps a text of exactly max code points, and cuts one more", () => {
    expect(cutCodePoints("😀".repeat(10), 10)).toBe("😀".repeat(10));
    expect(cutCodePoints("😀".repeat(11), 10)).toBe(`${"😀".repeat(7)}...`);
  });

  it("refuses a bound that leaves no room beside the \"...\"", () => {
    expect(() => cutCodePoints("abcdefgh", 3)).toThrow(RangeError);
    expect(() => cutToBytes("abc", -1)).toThrow(RangeError);
  });
});

describe("firstCodePoints", () => {
  it("gives the first code points of the whole text, for any text and count", () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 1_200 }), (value, count) => {
        expect(firstCodePoints(value, count)).toBe(Array.from(value).slice(0, count).join(""));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});

describe("cutToBytes", () => {
  it("gives what cutting the whole text's UTF-8 gives, for any text and bound", () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 4_000 }), (value, maxBytes) => {
        const cut = cutToBytes(value, maxBytes);
        expect(cut).toBe(referenceCutToBytes(value, maxBytes));
        if (cut !== value) expect(Buffer.byteLength(cut, "utf8")).toBeLessThanOrEqual(maxBytes);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("never splits a character at the bound", () => {
    // 1 + 4 bytes: a bound of 3 falls inside the emoji.
    expect(cutToBytes("a😀b", 3)).toBe("a");
    expect(cutToBytes("a😀b", 5)).toBe("a😀");
    expect(cutToBytes("€".repeat(3), 8)).toBe("€€");
  });
});
