import { EntityTable } from '../../scripts/review/entities';

describe('review EntityTable: a target several mappings name', () => {
  const bare = {
    _key: 'sp-1',
    _type: 'azure_service_principal',
    _class: ['Service'],
  };
  const named = { ...bare, displayName: 'ServiceNow', name: 'ServiceNow' };

  test.each([
    ['the bare mapping first', [bare, named]],
    ['the named mapping first', [named, bare]],
  ])('one placeholder with the union of their properties, %s', (_, targets) => {
    const table = new EntityTable();
    const indexes = targets.map((t) => table.target(t));
    expect(indexes).toEqual([0, 0]);
    expect(table.names).toEqual(['ServiceNow']);
    expect(table.placeholders).toEqual([named]);
  });
});
