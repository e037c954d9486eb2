import { startGcsEmulator, type GcsEmulator } from '../../../../infra/local/gcs/server';

describe('GCS JSON-API emulator', () => {
  let gcs: GcsEmulator;
  beforeAll(async () => {
    gcs = await startGcsEmulator({ buckets: ['b'] });
  });
  afterAll(async () => {
    await gcs.close();
  });

  const upload = (name: string, body: string, ifGenerationMatch?: string): Promise<Response> => {
    const q = new URLSearchParams({
      uploadType: 'media',
      name,
      ...(ifGenerationMatch === undefined ? {} : { ifGenerationMatch }),
    });
    return fetch(`${gcs.baseUrl}/upload/storage/v1/b/b/o?${q}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body,
    });
  };
  const objectUrl = (name: string, query = ''): string =>
    `${gcs.baseUrl}/storage/v1/b/b/o/${encodeURIComponent(name)}${query}`;

  it('answers generation preconditions the way GCS does', async () => {
    const created = await upload('dir/x', 'one', '0');
    expect(created.status).toBe(200);
    const meta = (await created.json()) as { generation: string; size: string; name: string };
    expect(meta).toMatchObject({ name: 'dir/x', size: '3' });
    const again = await upload('dir/x', 'two', '0');
    expect(again.status).toBe(412);
    expect(await again.json()).toMatchObject({ error: { code: 412, errors: [{ reason: 'conditionNotMet' }] } });
    expect((await upload('dir/x', 'two', String(Number(meta.generation) + 5))).status).toBe(412);
    const replaced = await upload('dir/x', 'two', meta.generation);
    expect(replaced.status).toBe(200);
    const media = await fetch(objectUrl('dir/x', '?alt=media'));
    expect(await media.text()).toBe('two');
    expect(media.headers.get('x-goog-generation')).toBe(((await replaced.json()) as { generation: string }).generation);
    expect((await fetch(objectUrl('dir/x', `?alt=media&generation=${meta.generation}`))).status).toBe(404);
  });

  it('lists by prefix in name order, in pages', async () => {
    for (const name of ['p/c', 'p/a', 'p/b', 'q/a']) await upload(name, name);
    const first = (await (await fetch(`${gcs.baseUrl}/storage/v1/b/b/o?prefix=p/&maxResults=2`)).json()) as {
      items: { name: string }[];
      nextPageToken: string;
    };
    expect(first.items.map((i) => i.name)).toEqual(['p/a', 'p/b']);
    const second = (await (
      await fetch(`${gcs.baseUrl}/storage/v1/b/b/o?prefix=p/&maxResults=2&pageToken=${first.nextPageToken}`)
    ).json()) as { items: { name: string }[]; nextPageToken?: string };
    expect(second.items.map((i) => i.name)).toEqual(['p/c']);
    expect(second.nextPageToken).toBeUndefined();
    expect(await (await fetch(`${gcs.baseUrl}/storage/v1/b/b/o?prefix=none/`)).json()).toEqual({
      kind: 'storage#objects',
    });
  });

  it('deletes with a precondition and 404s afterwards', async () => {
    const { generation } = (await (await upload('gone', 'x')).json()) as { generation: string };
    expect((await fetch(objectUrl('gone', '?ifGenerationMatch=1'), { method: 'DELETE' })).status).toBe(412);
    expect((await fetch(objectUrl('gone', `?ifGenerationMatch=${generation}`), { method: 'DELETE' })).status).toBe(204);
    const missing = await fetch(objectUrl('gone'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { message: 'No such object: b/gone' } });
  });

  it('404s an unknown bucket', async () => {
    expect((await fetch(`${gcs.baseUrl}/storage/v1/b/nope/o`)).status).toBe(404);
  });
});
