// VPC endpoints (issue #3) live here.
export {};
