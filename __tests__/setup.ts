import { Testing } from "cdktf";
// Types of CDKTF's jest matchers (toHaveResourceWithProperties, ...).
import "cdktf/lib/testing/adapters/jest";

// Registers CDKTF's jest matchers.
Testing.setupJest();
