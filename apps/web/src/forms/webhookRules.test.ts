import { webhookUrlError } from './webhookRules';

describe('the webhook address is checked as the API checks it', () => {
  test.each(['https://hooks.example.com/messenger-vault', 'http://localhost:4000/hook', 'http://127.0.0.1/hook'])(
    '%s is accepted',
    (url) => {
      expect(webhookUrlError(url)).toBeNull();
    },
  );

  test.each([
    ['', /Enter the https address/],
    ['hooks.example.com/x', /Enter a whole address/],
    ['http://hooks.example.com/x', /^Use https/],
    ['ftp://hooks.example.com/x', /Use an https address/],
    ['https://user:pass@hooks.example.com/x', /user name and password/],
    ['https://hooks.example.com/x#part', /#fragment/],
    [`https://hooks.example.com/${'x'.repeat(2048)}`, /at most 2048/],
  ])('%j is refused', (url, message) => {
    expect(webhookUrlError(url)).toMatch(message);
  });
});
