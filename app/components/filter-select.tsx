export function FilterSelect({ name, label, map, value }: { name: string; label: string; map: Record<string, string>; value: string | null }) {
  return (
    <div>
      <label htmlFor={name} className="label">
        {label}
      </label>
      <select id={name} name={name} defaultValue={value ?? ''} className="input mt-1">
        <option value="">Any</option>
        {Object.entries(map).map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  )
}
