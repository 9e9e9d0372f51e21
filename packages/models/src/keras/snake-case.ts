/**
 * Keras's name for a class in a Keras 3 weights file (`naming.to_snake_case`): Conv2D → conv2d,
 * MaxPooling2D → max_pooling2d, InputLayer → input_layer.
 */
export function toSnakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * The paths Keras 3 gives a list of layers (`_save_container_state`): the class's snake-case
 * name, then `_1`, `_2`, … for later layers of the same class, whatever the layers are named.
 */
export function containerPaths(classNames: readonly string[]): string[] {
  const used = new Map<string, number>();
  return classNames.map((className) => {
    const name = toSnakeCase(className);
    const seen = used.get(name);
    used.set(name, seen === undefined ? 0 : seen + 1);
    return seen === undefined ? name : `${name}_${seen + 1}`;
  });
}
