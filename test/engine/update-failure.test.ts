import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { engineUnavailable, updateRefusal } from '../../engine/update-failure.js';

const codes = ['AVL_ERR_RUN_ALREADY_PAUSED', 'AVL_ERR_RUN_NOT_PAUSED'] as const;

function updateFailed(type: string, details: unknown[] = []): WorkflowUpdateFailedError {
  return new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({ type, message: `refused: ${type}`, details, nonRetryable: true }),
  );
}

describe('updateRefusal', () => {
  it('reads a refusal by its type, with message and details', () => {
    expect(updateRefusal(updateFailed('AVL_ERR_RUN_NOT_PAUSED', [{ by: 'x' }]), codes)).toEqual({
      code: 'AVL_ERR_RUN_NOT_PAUSED',
      message: 'refused: AVL_ERR_RUN_NOT_PAUSED',
      details: [{ by: 'x' }],
    });
  });

  it('is undefined for a type outside the codes, a failure of another kind, and other errors', () => {
    expect(updateRefusal(updateFailed('AVL_ERR_SOMETHING_ELSE'), codes)).toBeUndefined();
    expect(
      updateRefusal(new WorkflowUpdateFailedError('failed', new Error('AVL_ERR_RUN_NOT_PAUSED')), codes),
    ).toBeUndefined();
    expect(updateRefusal(ApplicationFailure.create({ type: 'AVL_ERR_RUN_NOT_PAUSED' }), codes)).toBeUndefined();
  });
});

describe('engineUnavailable', () => {
  it('names the request when Temporal did not take it', () => {
    for (const err of [
      new ServiceError('connection refused'),
      new WorkflowUpdateRPCTimeoutOrCancelledError('timed out'),
    ]) {
      const mapped = engineUnavailable(err, 'the decision');
      expect(mapped?.code).toBe('AVL_ERR_ENGINE_UNAVAILABLE');
      expect(mapped?.message).toBe(`Temporal did not take the decision: ${err.message}`);
    }
  });

  it('leaves a refusal and a plain error alone', () => {
    expect(engineUnavailable(updateFailed('AVL_ERR_RUN_NOT_PAUSED'), 'the request')).toBeUndefined();
    expect(engineUnavailable(new Error('boom'), 'the request')).toBeUndefined();
  });
});
