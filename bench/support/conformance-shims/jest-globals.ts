/** Jest's `jest` global over vitest's `vi`, for suites written for jest (@solana/kit). */
import { vi } from "vitest";

Object.assign(globalThis, { jest: vi, __DEV__: false, __VERSION__: "0.0.0-test" });
