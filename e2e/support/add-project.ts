// Adds a project as a person does — the folder typed into "Add a project", then Add — and waits for its page.
import { expect, type Page } from '@playwright/test';
import path from 'node:path';

export async function addProject(page: Page, folder: string, name = path.basename(folder)): Promise<void> {
  const form = page.getByLabel('Add a project');
  await form.getByRole('textbox').first().fill(folder);
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}
