import { Button, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { provideToken, useTokenPrompt } from '../lib/auth-token';

/** Asks for the API token when the server answers 401; the token is kept in this browser. */
export function TokenModal() {
  const prompt = useTokenPrompt();
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) return;
    provideToken(token.trim());
    setToken('');
  };
  return (
    <Modal
      opened={prompt.open}
      onClose={() => {}}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      title="API token required"
      centered
    >
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text size="sm">
            This server requires a bearer token (<code>SLUICE_API_TOKEN</code>). It is kept in this browser
            and sent with every request.
          </Text>
          {prompt.rejected && (
            <Text size="sm" c="red">
              The server refused the stored token. Enter the current one.
            </Text>
          )}
          <PasswordInput
            label="API token"
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
            data-autofocus
            autoComplete="off"
          />
          <Button type="submit" disabled={!token.trim()}>
            Use token
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
