import { RelationshipClass } from '@jupiterone/integration-sdk-core';
import { createMockJobState } from '@jupiterone/integration-sdk-testing';
import { createHash } from 'crypto';
import {
  directRelationship,
  FILE_SIZE,
  relationshipKey,
  writingGraphObjects,
} from './graph-objects';

describe('relationshipKey', () => {
  test('22 base64url characters of the SHA-256 of the identity, the same every time', () => {
    const key = relationshipKey('a|has|b');
    expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(key).toBe(
      createHash('sha256').update('a|has|b').digest('base64url').slice(0, 22),
    );
    expect(relationshipKey('a|has|b')).toBe(key);
    expect(relationshipKey('a|has|c')).not.toBe(key);
  });
});

describe('directRelationship', () => {
  test('the object createDirectRelationship makes, with the hashed key and the table type', () => {
    expect(
      directRelationship({
        _class: RelationshipClass.INSTALLED,
        fromType: 'laptop',
        fromKey: 'device-1',
        toType: 'intune_detected_application',
        toKey: 'intune_detected_application:abc',
        discriminator: '1.2',
        properties: { version: '1.2' },
      }),
    ).toEqual({
      _key: relationshipKey(
        'device-1|installed|intune_detected_application:abc|1.2',
      ),
      _type: 'laptop_installed_intune_detected_application',
      _class: 'INSTALLED',
      _fromEntityKey: 'device-1',
      _toEntityKey: 'intune_detected_application:abc',
      displayName: 'INSTALLED',
      version: '1.2',
    });
  });

  test('a relationship that is not in the metadata table throws', () => {
    expect(() =>
      directRelationship({
        _class: RelationshipClass.OWNS,
        fromType: 'laptop',
        fromKey: 'a',
        toType: 'azure_user',
        toKey: 'b',
      }),
    ).toThrow(
      'No relationship laptop OWNS azure_user in the metadata table (src/steps/constants.ts)',
    );
  });
});

describe('writingGraphObjects', () => {
  const groupHasUser = (i: number) =>
    directRelationship({
      _class: RelationshipClass.HAS,
      fromType: 'azure_user_group',
      fromKey: 'group',
      toType: 'azure_user',
      toKey: `user-${i}`,
    });

  test('hands the job state runs of one type and FILE_SIZE objects, then the rest', async () => {
    const jobState = createMockJobState();
    const runs: number[] = [];
    const add = jobState.addRelationships.bind(jobState);
    jobState.addRelationships = (relationships) => {
      runs.push(relationships.length);
      return add(relationships);
    };
    await writingGraphObjects(jobState, async (writer) => {
      for (let i = 0; i < FILE_SIZE * 2 + 7; i++) {
        writer.addRelationship(groupHasUser(i));
        if (i % 100 === 99) await writer.drain();
      }
    });
    expect(runs).toEqual([FILE_SIZE, FILE_SIZE, 7]);
    expect(jobState.collectedRelationships).toHaveLength(FILE_SIZE * 2 + 7);
  });

  test('when the work fails, what it read is still added and its error is thrown', async () => {
    const jobState = createMockJobState();
    await expect(
      writingGraphObjects(jobState, (writer) => {
        writer.addRelationship(groupHasUser(1));
        return Promise.reject(new Error('page 2 failed'));
      }),
    ).rejects.toThrow('page 2 failed');
    expect(jobState.collectedRelationships).toHaveLength(1);
  });
});
