import { Testing } from "cdktf";

// Registers CDKTF's jest matchers (toHaveResource, toHaveResourceWithProperties, ...).
Testing.setupJest();
