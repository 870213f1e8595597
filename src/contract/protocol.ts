/** The awsJson1_0 X-Amz-Target prefix of the SWF service (the model's targetPrefix trait). */
export const TARGET_PREFIX = 'SimpleWorkflowService.';
