// The in-process n8n engine harness (n8n-core's WorkflowExecute, no server, no database, no CLI).
export * from './runner';
export * from './workflow';
