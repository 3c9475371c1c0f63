#!/usr/bin/env node
// Creates the database named in DATABASE_URL (or argv[2]) if it does not exist yet.
import 'dotenv/config'
import pg from 'pg'

const url = new URL(process.argv[2] ?? process.env.DATABASE_URL ?? '')
const name = decodeURIComponent(url.pathname.slice(1))
const admin = new URL(url)
admin.pathname = '/postgres'
const client = new pg.Client({ connectionString: admin.toString() })
await client.connect()
try {
  const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name])
  if (!rowCount) {
    await client.query(`create database "${name.replace(/"/g, '""')}"`)
    console.log(`Created database ${name}`)
  }
} finally {
  await client.end()
}
